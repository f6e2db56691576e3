"""The Jupyter kernel that runs the book's chapters: ipykernel, started as ``ipykernel_launcher``
starts it, without ipykernel's warning that the kernel «is running over TCP without encryption».

Quarto's Jupyter engine starts one kernel per chapter and format on 127.0.0.1 and does not
provision CurveZMQ keys, so ipykernel 7 prints that warning into every render log (26 copies
per book), where it would hide the warnings that matter.  Only that one message is filtered;
every other kernel message is kept.

    python -m analysis.kernel install     # make this the 'python3' kernel of the environment
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

TCP_WARNING = "Kernel is running over TCP without encryption"


class _DropTcpWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return TCP_WARNING not in record.getMessage()


def launch() -> None:
    logging.getLogger("IPKernelApp").addFilter(_DropTcpWarning())
    if sys.path and sys.path[0] in ("", "."):  # as ipykernel_launcher: the cwd is not a source of modules
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def install(prefix: str = sys.prefix, name: str = "python3") -> Path:
    """Write the kernelspec ``name`` into ``prefix`` (the environment), pointing at this launcher."""
    from ipykernel.kernelspec import install as ipykernel_install

    path = Path(ipykernel_install(kernel_name=name, prefix=prefix))
    spec_file = path / "kernel.json"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    spec["argv"] = [sys.executable, "-Xfrozen_modules=off", "-m", "analysis.kernel", "-f", "{connection_file}"]
    spec_file.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        print(f"kernel installert: {install()}")
    else:
        launch()
