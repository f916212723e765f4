"""`companion questionnaire --fhir FILE [--language es]`: the FHIR R4 Questionnaire a clinic's portal publishes
(companion.fhir.questionnaire). Its answers, a QuestionnaireResponse naming its url, come back with `companion
import`. The command needs no database: it never opens one (nor creates one), and never writes over it."""

from __future__ import annotations

import argparse
import json

from companion.cli.arguments import file_to_write
from companion.storage.paths import data_dir_path
from companion.text import terminal_safe


def add_questionnaire_command(commands, common: argparse.ArgumentParser) -> None:
    questionnaire = commands.add_parser(
        "questionnaire", parents=[common], help="write the FHIR Questionnaire a patient portal publishes"
    )
    questionnaire.add_argument(
        "--fhir", required=True, type=file_to_write, metavar="FILE", help="the Questionnaire to write"
    )
    questionnaire.add_argument("--language", default="en", metavar="CODE", help="its language: en (default) or es")
    questionnaire.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database)")
    questionnaire.set_defaults(run=_cmd_questionnaire, raw_database=True)


def _cmd_questionnaire(args) -> int:
    from companion.fhir.questionnaire import QUESTIONNAIRE_URL, QUESTIONNAIRE_VERSION, questionnaire
    from companion.services.output_files import check_target, write_file
    from companion.storage.database import resolve_location, sqlite_path, url_for

    database = sqlite_path(url_for(resolve_location(args.db)))  # never written over, even with --force
    check_target(args.fhir, force=args.force, database=database)  # refused before anything else
    # The clinic's own words if it has any; a data folder not made yet is not made: nothing is stored here
    data = questionnaire(args.language, data_dir_path() / "content")  # an unknown language: one line
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_file(args.fhir, text.encode("utf-8"), force=args.force, database=database)
    where = terminal_safe(str(args.fhir))
    print(f"questionnaire ({data['language']}) written to {where}: {QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}")
    return 0
