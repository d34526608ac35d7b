"""srlab's supervised Python worker: JSON lines over stdio (see protocol.py)."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
