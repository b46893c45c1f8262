"""The errors a user can cause, each carrying its exit code (docs/operations.md) and a bilingual message."""

from collections.abc import Sequence

from ggzy.common.findings import Finding


class GgzyError(Exception):
    """A problem the user can act on; the CLI prints the message and exits with ``exit_code``."""

    exit_code = 1


class DataRejected(GgzyError):
    """The data broke the contract: nothing was landed. ``findings`` name the rows and rules."""

    exit_code = 1

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


class UsageError(GgzyError):
    """Bad arguments, a missing file, an unknown kind."""

    exit_code = 2


class EnvironmentProblem(GgzyError):
    """The warehouse is locked by another process, the disk is full, the dashboard's port is taken, …"""

    exit_code = 3


class Refused(GgzyError):
    """ggzy cannot know what the user means (e.g. a resubmission that lacks current rows):
    nothing was changed, and the message states the choices."""

    exit_code = 2


def whole_file_problem(rule: str, message_zh: str, message_en: str, line: int | None = None) -> DataRejected:
    """A rejection of the file as a whole (encoding, emptiness, …): one finding, so the error
    report and the screen name it like any other."""
    finding = Finding(line, "", None, rule, message_zh, message_en)
    return DataRejected(f"{message_zh} / {message_en}", [finding])
