"""``manage.py rank_count FILE.blt --method stv|schulze [--seats N] [--json]``: counts a BLT
ballot file with the steering engine (Scottish STV or Schulze), on its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.steering.engine import blt, schulze, stv

MAX_BYTES = 200_000_000


class Command(BaseCommand):
    help = "Dépouille un fichier de bulletins BLT (vote unique transférable ou Schulze)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .blt")
        parser.add_argument("--method", choices=["stv", "schulze"], default="stv")
        parser.add_argument("--seats", type=int, help="sièges (par défaut : ceux du fichier)")
        parser.add_argument("--seed", type=int, default=2038, help="graine du tirage au sort")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError("Fichier trop volumineux (200 Mo au plus).")
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {path}") from None
        except UnicodeDecodeError:
            raise CommandError("Le fichier doit être encodé en UTF-8.") from None
        except OSError as exc:
            raise CommandError(f"Lecture impossible : {exc}") from None
        try:
            election = blt.parse_blt(text)
            seats = options["seats"]
            if seats is not None:
                election = stv.Election(
                    candidates=election.candidates,
                    seats=seats,
                    ballots=election.ballots,
                    withdrawn=election.withdrawn,
                    title=election.title,
                )
        except (blt.BltError, stv.CountError) as exc:
            raise CommandError(str(exc)) from None
        names = election.candidates
        out: dict[str, Any] = {"elected": [], "ranking": [], "rounds": []}
        if options["method"] == "stv":
            result = stv.count(election, seed=options["seed"])
            out["elected"] = [c + 1 for c in result.elected]
            out["quota"] = result.quota
            out["rounds"] = [
                {
                    "number": s.number,
                    "action": s.action,
                    "candidate": None if s.candidate is None else s.candidate + 1,
                    "transfer_value": s.transfer_value,
                    "totals": s.totals,
                    "non_transferable": s.non_transferable,
                    "elected": [c + 1 for c in s.elected],
                    "excluded": [c + 1 for c in s.excluded],
                }
                for s in result.stages
            ]
            out["tie_breaks"] = result.tie_breaks
            listed = out["elected"]
        else:
            ranked = schulze.count(election)
            out["ranking"] = [c + 1 for c in ranked.ranking]
            out["pairwise"] = ranked.pairwise
            listed = out["ranking"]
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        label = "Élus" if options["method"] == "stv" else "Classement de Schulze"
        self.stdout.write(f"{label} :")
        for position, number in enumerate(listed, start=1):
            self.stdout.write(f"{position}. {number} {names[number - 1]}")
