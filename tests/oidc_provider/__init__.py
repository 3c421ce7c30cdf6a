"""A real OpenID Connect provider for the tests (django-oauth-toolkit), run in its own process.

It is a second, tiny Django project with its own settings and SQLite database: users sign in
at its own login page, and their groups there are issued as claims. Run by
``tests.oidc_provider.fixtures.Provider``; never part of the service itself.
"""
