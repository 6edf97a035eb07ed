"""A learner or instructor talking to JupyterHub over HTTP, as their browser would."""

from __future__ import annotations

import time
from typing import Any

import requests


class HubUser:
    """Log in with a password (PAM), get an API token, drive the user's single-user server."""

    def __init__(self, hub_url: str, name: str, password: str) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.name = name
        web = requests.Session()
        web.get(f"{self.hub_url}/hub/login", timeout=30)
        resp = web.post(f"{self.hub_url}/hub/login?next=/hub/home",
                        data={"username": name, "password": password,
                              "_xsrf": web.cookies.get("_xsrf", "")},
                        allow_redirects=False, timeout=60)
        if resp.status_code != 302:
            raise PermissionError(f"login of {name} failed: HTTP {resp.status_code}")
        resp = web.post(f"{self.hub_url}/hub/api/users/{name}/tokens",
                        json={"note": "workshop test", "expires_in": 3600},
                        headers={"X-XSRFToken": web.cookies.get("_xsrf", "")}, timeout=30)
        resp.raise_for_status()
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"token {resp.json()['token']}"

    def hub(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.api.request(method, f"{self.hub_url}/hub/api/{path}", timeout=120, **kw)

    def server(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.api.request(method, f"{self.hub_url}/user/{self.name}/{path}", timeout=180, **kw)

    def start(self, timeout: float = 240) -> None:
        """Start the single-user server and wait until it answers."""
        resp = self.hub("POST", f"users/{self.name}/server")
        if resp.status_code not in (201, 202, 400):  # 400: already running
            resp.raise_for_status()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.hub("GET", f"users/{self.name}").json()
            if model.get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"server of {self.name} did not start in {timeout} s")

    # --- nbgrader's assignment-list server extension (what the Assignments panel calls) ---
    def assignments(self, course_id: str) -> list[dict]:
        resp = self.server("GET", "assignments", params={"course_id": course_id})
        resp.raise_for_status()
        return resp.json()["value"]

    def assignment_action(self, action: str, course_id: str, assignment: str) -> Any:
        resp = self.server("POST", f"assignments/{action}",
                           data={"course_id": course_id, "assignment_id": assignment})
        resp.raise_for_status()
        return resp.json()

    # --- the Jupyter contents API ---
    def read(self, path: str) -> dict:
        resp = self.server("GET", f"api/contents/{path}", params={"content": 1})
        resp.raise_for_status()
        return resp.json()

    def write_notebook(self, path: str, nb: dict) -> None:
        resp = self.server("PUT", f"api/contents/{path}",
                           json={"type": "notebook", "format": "json", "content": nb})
        resp.raise_for_status()
