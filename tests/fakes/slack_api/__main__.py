"""``python -m tests.fakes.slack_api --port 8765``: prints the base URL, serves until killed."""

from . import main

if __name__ == "__main__":
    main()
