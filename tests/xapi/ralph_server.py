"""Runs Ralph's LRS API with its file-system backend, for tests/xapi (run by .venv-ralph's Python).

Ralph 5.1's file-system LRS backend writes each statement with the "index" operation, which refuses to
write to its file once it exists (a second statement fails with a 500). Its "append" operation is the
one that fits a growing JSON-lines file, so it is made the default here before the app is loaded; the
API, the validation and the reads are Ralph's own. Usage: python ralph_server.py HOST PORT."""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402 - after the patch above

if __name__ == "__main__":
    uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="info")
