"""``python -m tests.oidc_provider.serve PORT``: migrate the provider's database and serve it."""

import os
import sys
import threading
import time


def _exit_with_parent() -> None:
    """The provider belongs to the test run that started it: it stops when that run ends,
    even if the run is killed before it can stop the provider."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    threading.Thread(target=_exit_with_parent, daemon=True).start()
    call_command("migrate", verbosity=0, interactive=False)
    run("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
