"""The DevSync REST calls the session peer makes (httpx, bearer token)."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

import httpx


class ApiError(Exception):
    """A failed call, with the server's ``detail`` when it gave one."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class Api:
    """One signed-in user on one DevSync server."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    @property
    def ws_url(self) -> str:
        """The server's WebSocket base (``ws://`` or ``wss://``)."""
        return "ws" + self.base_url[4:] if self.base_url.startswith("http") else ""

    def room_url(self, project_id: int, path: str) -> str:
        return f"{self.ws_url}/collab/{project_id}/{quote(path)}"

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach {self.base_url}: {exc}") from exc
        if response.status_code >= 400:
            detail: Any = response.text
            with contextlib.suppress(ValueError):
                detail = response.json().get("detail", detail)
            raise ApiError(str(detail)[:300], response.status_code)
        if response.status_code == 204 or not response.content:
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    async def me(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.call("GET", "/api/me")
        return result

    async def projects(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self.call("GET", "/api/projects")
        return result

    async def share(self, project_id: int, role: str) -> dict[str, Any]:
        path = f"/api/projects/{project_id}/sessions"
        result: dict[str, Any] = await self.call("POST", path, json={"role": role})
        return result

    async def join(self, invite_token: str) -> dict[str, Any]:
        body = {"invite_token": invite_token}
        result: dict[str, Any] = await self.call(
            "POST", "/api/sessions/join", json=body
        )
        return result

    async def participants(self, project_id: int, session_id: int) -> list[Any]:
        path = f"/api/projects/{project_id}/sessions/{session_id}/participants"
        result: list[Any] = await self.call("GET", path)
        return result

    async def commit(self, project_id: int, message: str) -> dict[str, Any]:
        path = f"/api/projects/{project_id}/commits"
        result: dict[str, Any] = await self.call(
            "POST", path, json={"message": message}
        )
        return result

    async def history(self, project_id: int, path: str | None) -> list[Any]:
        params = {"path": path} if path else {}
        page = await self.call(
            "GET", f"/api/projects/{project_id}/commits", params=params
        )
        items: list[Any] = page["items"]
        return items

    async def read_file(self, project_id: int, path: str) -> str:
        text: str = await self.call(
            "GET", f"/api/projects/{project_id}/files/{quote(path)}"
        )
        return text

    async def close(self) -> None:
        await self._client.aclose()
