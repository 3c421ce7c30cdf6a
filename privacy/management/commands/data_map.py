"""``manage.py data_map``: write docs/DATA_MAP.md from the retention and permission rules."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.datamap import render

DEFAULT = Path(settings.BASE_DIR) / "docs" / "DATA_MAP.md"


class Command(BaseCommand):
    help = "Write docs/DATA_MAP.md (--check: fail if it is out of date)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, default=DEFAULT)
        parser.add_argument("--check", action="store_true",
                            help="Write nothing; exit non-zero when the file differs.")

    def handle(self, *args, output: Path, check: bool, **options) -> None:
        text = render()
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is out of date: run manage.py data_map")
            self.stdout.write(f"{output} is up to date.")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output}.")
