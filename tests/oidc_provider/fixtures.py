"""Start and drive the test identity provider (a subprocess on 127.0.0.1)."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "customer-contact"
CLIENT_SECRET = "provider-client-secret-for-tests"
PROVIDER_PASSWORD = "provider-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """One provider process: ``issuer``, ``apply(...)`` to set the client and users."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.url}/o"
        self.token = secrets.token_urlsafe(16)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        env = {**os.environ, "TEST_PROVIDER_DB": str(workdir / "provider.sqlite3"),
               "TEST_PROVIDER_RSA_KEY": pem, "TEST_PROVIDER_ISSUER": self.issuer,
               "TEST_PROVIDER_TOKEN": self.token, "PYTHONPATH": str(REPO)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("DATABASE_URL", None)
        self.log = (workdir / "provider.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(self.port)],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"test provider exited: {self.log.name}")
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("test provider did not start in 60 s")

    def apply(self, **body) -> None:
        response = requests.post(f"{self.url}/test-control/", json=body, timeout=10,
                                 headers={"X-Control-Token": self.token})
        response.raise_for_status()

    def register_client(self, service_url: str) -> None:
        self.apply(application={
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "redirect_uri": f"{service_url}/accounts/oidc/callback/",
            "post_logout_redirect_uri": f"{service_url}/accounts/sign-in/",
        })

    def user(self, username: str, *, groups=(), **fields) -> None:
        """Create or change a provider user; their password is ``PROVIDER_PASSWORD``."""
        self.apply(users=[{"username": username, "groups": list(groups),
                           "password": PROVIDER_PASSWORD, **fields}])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
