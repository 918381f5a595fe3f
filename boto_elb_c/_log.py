"""The ``boto_elb_c`` logger, without importing :mod:`logging` until someone uses logging.

Importing logging costs a few milliseconds (it brings re, enum, traceback, ...), a large share of boto_elb_c's
import time. Nothing is lost by waiting: the logger carries a NullHandler, so as long as the program has not
imported logging (and so cannot have configured a handler), no record could be emitted anywhere. From the moment
logging is in ``sys.modules`` -- the program imported it, or called :func:`boto_elb_c.set_stream_logger` -- every
call goes to the real ``logging.getLogger("boto_elb_c")``.
"""
from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from logging import Logger
    from typing import Any

__all__ = ["log", "DEBUG"]

DEBUG = 10  # logging.DEBUG


class _LazyLogger(object):
    __slots__ = ("_logger",)

    def __init__(self) -> None:
        self._logger: Logger | None = None

    def _real(self) -> Logger | None:
        logger = self._logger
        if logger is None:
            logging = sys.modules.get("logging")
            if logging is None:
                return None
            logger = logging.getLogger("boto_elb_c")
            if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
                logger.addHandler(logging.NullHandler())
            self._logger = logger
        return logger

    def isEnabledFor(self, level: int) -> bool:
        logger = self._real()
        return logger is not None and logger.isEnabledFor(level)

    def _log(self, method: str, msg: object, args: tuple[object, ...], kwargs: dict[str, Any]) -> None:
        logger = self._real()
        if logger is not None:
            getattr(logger, method)(msg, *args, **kwargs)

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log("debug", msg, args, kwargs)

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log("info", msg, args, kwargs)

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log("warning", msg, args, kwargs)

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log("error", msg, args, kwargs)

    def getLogger(self) -> Logger | None:
        """The real logger (imports logging)."""
        import logging  # noqa: F401

        return self._real()


log = _LazyLogger()
