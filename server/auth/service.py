"""Auth rules: registration, login with throttling, token issue and lookup."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.auth.models import ApiToken, User, utcnow
from server.auth.repository import UserRepository
from server.auth.schemas import TokenCreate, UserCreate
from server.auth.throttle import LoginThrottle
from server.core import security
from server.core.errors import Conflict, NotFound, TooManyRequests, Unauthorized

log = logging.getLogger(__name__)


class AuthService:
    def __init__(self, session: Session, throttle: LoginThrottle | None = None) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.throttle = throttle

    def register(self, data: UserCreate) -> User:
        if self.users.by_username(data.username) is not None:
            raise Conflict(f"username '{data.username}' is taken")
        user = User(
            username=data.username,
            display_name=data.display_name or data.username,
            password_hash=security.hash_password(data.password),
        )
        try:
            with self.session.begin_nested():
                self.users.add(user)
        except IntegrityError as exc:  # a concurrent registration won the race
            raise Conflict(f"username '{data.username}' is taken") from exc
        log.info("registered user %s", user.username)
        return user

    def login(
        self, username: str, password: str, client: str, ttl: timedelta
    ) -> tuple[User, str]:
        """Check the password and open a browser session; returns (user, token)."""
        keys = (f"user:{username.lower()}", f"addr:{client}")
        wait = self.throttle.retry_after(*keys) if self.throttle else 0
        if wait:
            raise TooManyRequests("too many failed logins; try again later", wait)
        user = self.users.by_username(username)
        if not security.verify_password(user.password_hash if user else None, password):
            if self.throttle:
                self.throttle.failed(*keys)
            log.info("failed login for %r from %s", username, client)
            raise Unauthorized("wrong username or password")
        assert user is not None
        if self.throttle:
            self.throttle.succeeded(keys[0])
        token = self._issue(
            user, kind="session", name="browser", expires=utcnow() + ttl
        )
        return user, token

    def _issue(self, user: User, kind: str, name: str, expires: datetime | None) -> str:
        secret = security.new_token("dst" if kind == "api" else "dss")
        self.users.add_token(
            ApiToken(
                user_id=user.id,
                kind=kind,
                name=name,
                token_hash=security.token_hash(secret),
                expires_at=expires,
            )
        )
        return secret

    def create_token(self, user: User, data: TokenCreate) -> tuple[ApiToken, str]:
        expires = (
            utcnow() + timedelta(days=data.expires_in_days)
            if data.expires_in_days
            else None
        )
        secret = self._issue(user, kind="api", name=data.name, expires=expires)
        token = self.users.token_by_hash(security.token_hash(secret))
        assert token is not None
        return token, secret

    def list_tokens(self, user: User) -> list[ApiToken]:
        return self.users.tokens_of(user.id)

    def revoke_token(self, user: User, token_id: int) -> None:
        token = self.session.get(ApiToken, token_id)
        if token is None or token.user_id != user.id or token.kind != "api":
            raise NotFound("no such token")
        token.revoked = True

    def logout(self, secret: str) -> None:
        token = self.users.token_by_hash(security.token_hash(secret))
        if token is not None:
            token.revoked = True

    def user_for_token(self, secret: str) -> User | None:
        """The user a bearer token or session cookie belongs to, if it is valid."""
        if not secret or len(secret) > 256:
            return None
        return self.user_for_token_hash(security.token_hash(secret))

    def user_for_token_hash(self, digest: str) -> User | None:
        """``user_for_token`` for a token known by its digest only."""
        token = self.users.token_by_hash(digest)
        if token is None or token.revoked:
            return None
        expires = token.expires_at
        if expires is not None:
            if expires.tzinfo is None:  # SQLite drops the zone; we store UTC
                expires = expires.replace(tzinfo=utcnow().tzinfo)
            if expires <= utcnow():
                return None
        return self.users.by_id(token.user_id)
