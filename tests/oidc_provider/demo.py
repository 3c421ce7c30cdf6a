"""Try single sign-on by hand: ``.venv/bin/python -m tests.oidc_provider.demo``.

Starts the test identity provider on 127.0.0.1, registers the service at
http://127.0.0.1:8000 with it, adds three provider users and prints the environment to give
``make run``. Stop it with Ctrl-C. For trying out only: it is the test provider.
"""

import json
import signal
import tempfile
import time
from pathlib import Path

from tests.oidc_provider.fixtures import CLIENT_ID, CLIENT_SECRET, PROVIDER_PASSWORD, Provider

SERVICE = "http://127.0.0.1:8000"
ROLE_GROUPS = {"Caseworker": ["ucb-caseworkers"], "Line manager": ["ucb-managers"],
               "Head of Department": ["ucb-heads"]}


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    provider = Provider(Path(tempfile.mkdtemp(prefix="oidc-provider-")))
    try:
        provider.register_client(SERVICE)
        provider.user("casey", groups=["ucb-caseworkers", "dept:Customer Contact"],
                      first_name="Casey", last_name="Provider", email="casey@example.org")
        provider.user("hannah", groups=["ucb-heads", "ucb-managers", "_mfa",
                                        "dept:Customer Contact"],
                      first_name="Hannah", last_name="Provider", email="hannah@example.org")
        provider.user("nobody", groups=["another-team"], first_name="No", last_name="Role")
        print("Test identity provider running. In another shell:\n")
        print(f"  OIDC_ISSUER={provider.issuer} OIDC_CLIENT_ID={CLIENT_ID} \\")
        print(f"  OIDC_CLIENT_SECRET={CLIENT_SECRET} OIDC_ORGANISATION_NAME='Test Council' \\")
        print(f"  OIDC_ROLE_GROUPS='{json.dumps(ROLE_GROUPS)}' \\")
        print("  OIDC_LINE_MANAGER_CLAIM=manager_sub make run\n")
        print(f"then open {SERVICE}/accounts/sign-in/ and sign in as casey, hannah or nobody")
        print(f"(provider password: {PROVIDER_PASSWORD}). Ctrl-C stops the provider.")
        while provider.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        provider.stop()


if __name__ == "__main__":
    main()
