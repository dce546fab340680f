"""The admin password's hashing at its production cost (the survey tests lower the cost, for speed)."""

from __future__ import annotations

from pathlib import Path

from argon2 import Type, extract_parameters
from sqlalchemy.orm import Session

from mlorg.storage.base import make_engine
from mlorg.storage.migrate import upgrade
from mlorg.storage.survey_tables import AdminAccount
from mlorg.web import security
from mlorg.web.store import ADMIN_ID, set_admin_password

PASSWORD = "correct horse battery staple"


def test_a_password_is_hashed_with_argon2id_at_no_less_than_the_rfc_9106_low_memory_cost() -> None:
    hashed = security.hash_password(PASSWORD)
    params = extract_parameters(hashed)
    assert params.type is Type.ID
    assert params.memory_cost >= 64 * 1024 and params.time_cost >= 3 and params.parallelism >= 1
    assert security.verify_password(hashed, PASSWORD)
    assert not security.verify_password(hashed, PASSWORD + "!")
    assert not security.verify_password("not a hash", PASSWORD)


def test_the_admin_password_is_stored_only_as_a_full_cost_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mlorg.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        set_admin_password(engine, PASSWORD)
        with Session(engine) as s:
            account = s.get(AdminAccount, ADMIN_ID)
            assert account is not None
            stored = account.password_hash
    finally:
        engine.dispose()
    assert PASSWORD not in stored
    assert extract_parameters(stored).memory_cost >= 64 * 1024
    assert security.verify_password(stored, PASSWORD)
