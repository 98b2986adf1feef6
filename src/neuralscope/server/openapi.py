"""Print the server's OpenAPI schema as JSON (``python -m neuralscope.server.openapi``).

``make gen-client`` feeds it to openapi-typescript; no server or database is started.
"""

from __future__ import annotations

import json
import sys

from neuralscope.server.app import create_app


def main() -> None:
    json.dump(create_app().openapi(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
