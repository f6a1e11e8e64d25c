"""Write stage: format rendered files, then put them on disk atomically, or diff them (check mode).

Public API: `format_python`, `write_package` / `WriteReport`, `compare_package` / `PackageDiff`.
Codes: SG590-SG592 (formatting, encoding) and SG601-SG607 (the output folder).
"""

from generator.write.check import FileDiff, PackageDiff, compare_package
from generator.write.formatting import format_python
from generator.write.paths import MANIFEST_NAME
from generator.write.writer import WriteReport, write_package

__all__ = [
    "MANIFEST_NAME",
    "FileDiff",
    "PackageDiff",
    "WriteReport",
    "compare_package",
    "format_python",
    "write_package",
]
