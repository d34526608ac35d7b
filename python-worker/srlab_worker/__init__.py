"""srlab's Python worker: fine-tuning and conversion jobs supervised by the srlab core over
JSON lines on stdio. The protocol and jobs arrive with the fine-tuning work (ARCHITECTURE.md)."""

__version__ = "0.1.0"
