"""Ed25519 signing keys: the unit's key signs its 报送包, the office's key its 任务包 and 退回.

The private key lives in the user's data folder as an unencrypted PKCS#8 PEM file
(mode 0600 where the OS has POSIX permissions), created on first use. A damaged
key file is never replaced silently: a new key means a new fingerprint, which the
discipline office would refuse until it is registered again, so the clerk is told
what happened and what to do.

The fingerprint is what people compare by eye or over the phone: SHA-256 of the
raw 32-byte public key, first 20 bytes, as five groups of eight upper-case hex
digits, e.g. ``3F2A9C1B-0D4E5F60-718293A4-B5C6D7E8-F9011223``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.store.atomic_file import atomic_write
from qingqing_desktop.store.locations import data_dir
from qingqing_desktop.store.faults import os_reason

PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64
FINGERPRINT_BYTES = 20
ROLES = ("unit", "office")
MAX_KEY_FILE_BYTES = 64 * 1024  # an Ed25519 PKCS#8 PEM is 119 bytes

# cryptography is imported where a key is used, not with this module: the exchange formats
# and the GUI import this module, and a start-up should not pay for what no one signs yet.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def fingerprint_of(public_key_bytes: bytes) -> str:
    """``XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX`` for a raw 32-byte Ed25519 public key."""
    digest = hashlib.sha256(bytes(public_key_bytes)).hexdigest().upper()[: FINGERPRINT_BYTES * 2]
    return "-".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint as typed (lower case, spaces, no dashes) and return the canonical form.

    Raises ``ValueError`` if it is not 40 hex digits.
    """
    compact = "".join(ch for ch in str(text) if ch not in " -:\t\r\n").upper()
    if len(compact) != FINGERPRINT_BYTES * 2 or any(ch not in "0123456789ABCDEF" for ch in compact):
        raise ValueError(f"not a key fingerprint: {text!r}")
    return "-".join(compact[i : i + 8] for i in range(0, len(compact), 8))


def verify_signature(public_key_bytes: bytes, data: bytes, signature: bytes) -> bool:
    """True only if ``signature`` is a valid Ed25519 signature of ``data`` by that key."""
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # noqa: PLC0415

    try:
        if len(public_key_bytes) != PUBLIC_KEY_SIZE or len(signature) != SIGNATURE_SIZE:
            return False
        Ed25519PublicKey.from_public_bytes(bytes(public_key_bytes)).verify(bytes(signature), bytes(data))
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


class SigningKey:
    """An Ed25519 private key with the few operations the exchange formats need."""

    def __init__(self, private_key: Ed25519PrivateKey):
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        self._private = private_key
        self._public = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.fingerprint = fingerprint_of(self._public)

    @classmethod
    def generate(cls) -> SigningKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415

        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        """Load an unencrypted PKCS#8 PEM; ``ValueError`` if it is not an Ed25519 private key."""
        from cryptography.exceptions import UnsupportedAlgorithm  # noqa: PLC0415
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415

        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise ValueError(f"not an unencrypted PEM private key: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"not an Ed25519 key but {type(key).__name__}")
        return cls(key)

    def to_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        return self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public_bytes(self) -> bytes:
        """The raw 32-byte public key."""
        return self._public

    def sign(self, data: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of ``data``."""
        return self._private.sign(bytes(data))

    def __repr__(self) -> str:  # never shows the private key
        return f"<SigningKey {self.fingerprint}>"


def default_key_path(role: str = "unit") -> Path:
    """``<data folder>/keys/unit_ed25519.pem`` (or ``office_ed25519.pem``)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    return data_dir() / "keys" / f"{role}_ed25519.pem"


def _damaged_key(path: Path, what: str) -> InputRejected:
    return InputRejected(
        f"签名密钥文件{what}。为防止签名身份被意外更换，程序不会自动生成新密钥。"
        f"请从备份中恢复这个文件（{path}）后重试；如果确实没有备份，请把这个文件改名或移走，"
        "程序会生成新的密钥——新密钥的指纹与原来的不同，须重新打印在盖章的汇总表上，"
        "并告知纪检办重新登记，否则对方将拒收此后发出的文件。",
        Location(file=str(path)),
    )


def _read_key(path: Path) -> SigningKey:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise _damaged_key(path, "过大，不是本程序生成的密钥")
        pem = path.read_bytes()
    except PermissionError:
        raise InputRejected(
            f"没有权限读取签名密钥文件（{path}），请确认当前Windows用户有权访问程序的数据文件夹。",
            Location(file=str(path)),
        ) from None
    except IsADirectoryError:
        raise _damaged_key(path, "的位置被一个文件夹占用") from None
    except InputRejected:
        raise
    except OSError as exc:
        raise InputRejected(f"无法读取签名密钥文件（{path}）：{os_reason(exc)}", Location(file=str(path))) from None
    if not pem.strip():
        raise _damaged_key(path, "是空的（已损坏）")
    try:
        return SigningKey.from_pem(pem)
    except ValueError:
        raise _damaged_key(path, "已损坏或不是本程序生成的密钥") from None


def _write_new_key(path: Path) -> SigningKey:
    key = SigningKey.generate()
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(path.parent, 0o700)
    with atomic_write(path) as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), 0o600)  # mkstemp already uses 0600; say so explicitly
        handle.write(key.to_pem())
    return key


def load_or_create_key(path: Path) -> SigningKey:
    """The key stored at ``path``; a new one is generated and saved if the file does not exist.

    A file that exists but cannot be read as an Ed25519 key raises ``InputRejected``
    telling the clerk to restore it; it is never overwritten.
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        return _read_key(path)
    return _write_new_key(path)
