"""What the results page tells a citizen about each project, in plain French (gettext).

The tally engine (:mod:`turbine.budget.engine`) returns structured outcomes; the words are
written here.  Written for people who have never heard of the method: amounts in euros, the
method introduced in one sentence with a link to a page that explains it, no jargon
(« affordabilité », « incréments »...).
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from turbine.budget.engine import ProjectOutcome, TallyResult
from turbine.budget.engine.election import Amount

EQUAL_SHARES_URL = "https://equalshares.net/fr/"
"""The method's own explanation, in French, by its authors (Peters, Pierczyński, Skowron)."""


def euros(value: Amount | Fraction) -> str:
    """``12 345 €``, or ``12 345,67 €`` when there are cents (French grouping, no-break)."""
    cents = round(Fraction(value) * 100)
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    amount = f"{sign}{grouped}" if rest == 0 else f"{sign}{grouped},{rest:02d}"
    return f"{amount}\u00a0€"


def method_sentence(rule: str) -> str:
    """One plain sentence introducing the rule (shown above the results)."""
    if rule == "greedy":
        return _(
            "Les projets sont retenus du plus soutenu au moins soutenu, en comptant les "
            "soutiens par euro demandé, tant que le budget le permet."
        )
    return _(
        "La méthode des parts égales donne à chaque votant la même part du budget : un "
        "projet est financé quand ceux qui l'ont soutenu peuvent le payer ensemble avec leurs "
        "parts, si bien qu'un groupe de votants obtient des projets à la mesure de son nombre, "
        "et non seulement la majorité."
    )


def _rank(result: TallyResult, rank: int | None) -> str:
    if result.ballot_type == "approval":
        return _("%(rank)s par nombre de soutiens pour chaque euro demandé") % {
            "rank": _ordinal(rank)
        }
    return _("%(rank)s par nombre de points pour chaque euro demandé") % {"rank": _ordinal(rank)}


def _ordinal(rank: int | None) -> str:
    if rank == 1:
        return _("1er")
    return _("%(rank)se") % {"rank": rank}


def _voters(count: int) -> str:
    return ngettext("%(count)s votant", "%(count)s votants", count) % {"count": count}


def explain_outcome(result: TallyResult, project_id: str) -> str:
    """One to three plain sentences saying why ``project_id`` was or was not funded.

    Raises ``KeyError`` for an unknown project id.
    """
    o: ProjectOutcome = result.projects[project_id]
    if o.selected and o.phase == "free":
        return _(
            "Ce projet ne coûte rien : il est retenu d'office, car %(voters)s l'ont soutenu."
        ) % {"voters": _voters(o.supporters)}
    if o.selected and o.phase == "mes":
        return _explain_equal_shares(result, o)
    if o.selected and o.phase == "greedy":
        if result.rule == "greedy":
            return _(
                "Financé : classé %(rank)s, il tenait dans les %(left)s qui restaient au budget."
            ) % {"rank": _rank(result, o.greedy_rank), "left": euros(o.budget_left_before or 0)}
        return _(
            "Financé pour compléter : une fois les parts égales utilisées, il restait "
            "%(left)s au budget ; ce projet, classé %(rank)s parmi ceux qui restaient, y "
            "tenait."
        ) % {"rank": _rank(result, o.greedy_rank), "left": euros(o.budget_left_before or 0)}
    parts: list[str] = []
    if o.supporters == 0:
        parts.append(_("Personne ne l'a soutenu."))
    money_left = o.supporters_money_left
    if money_left is not None:
        parts.append(
            ngettext(
                "Avec les parts égales, son seul soutien n'avait plus que %(left)s, moins que "
                "son coût (%(cost)s).",
                "Avec les parts égales, ses %(count)s soutiens n'avaient plus que %(left)s à "
                "eux tous, moins que son coût (%(cost)s).",
                o.supporters,
            )
            % {"count": o.supporters, "left": euros(money_left), "cost": euros(o.cost)}
        )
    if o.budget_left_before is not None:
        parts.append(
            _(
                "Quand son tour est venu (classé %(rank)s), il ne restait que %(left)s au "
                "budget, moins que son coût (%(cost)s)."
            )
            % {
                "rank": _rank(result, o.greedy_rank),
                "left": euros(o.budget_left_before),
                "cost": euros(o.cost),
            }
        )
    if not parts:
        parts.append(_("Ce projet n'est pas financé."))
    return " ".join(parts)


def _explain_equal_shares(result: TallyResult, o: ProjectOutcome) -> str:
    payers = o.payers or 0
    if payers == o.supporters:
        text = ngettext(
            "Financé à l'étape %(step)s : son soutien a payé son coût (%(cost)s) avec sa part.",
            "Financé à l'étape %(step)s : ses %(count)s soutiens se sont partagé son coût "
            "(%(cost)s), chacun avec sa part.",
            o.supporters,
        ) % {"step": o.mes_round, "count": o.supporters, "cost": euros(o.cost)}
    else:
        text = _(
            "Financé à l'étape %(step)s : %(payers)s sur ses %(count)s soutiens se sont "
            "partagé son coût (%(cost)s) avec ce qui restait de leur part ; les autres avaient "
            "déjà tout dépensé."
        ) % {
            "step": o.mes_round,
            "payers": payers,
            "count": o.supporters,
            "cost": euros(o.cost),
        }
    if o.exhausted:
        text += " " + ngettext(
            "%(count)s d'entre eux y a mis tout ce qui lui restait.",
            "%(count)s d'entre eux y ont mis tout ce qui leur restait.",
            o.exhausted,
        ) % {"count": o.exhausted}
    if result.rule == "mes-completed" and o.per_voter_budget is not None and o.increment:
        initial = Fraction(result.budget) / result.num_voters
        text += " " + _(
            "Pour dépenser le plus possible du budget, la part de chaque votant a été portée "
            "de %(initial)s à %(share)s."
        ) % {"initial": euros(initial), "share": euros(o.per_voter_budget)}
    return text


def explain_all(result: TallyResult) -> dict[str, str]:
    """Every project's explanation, by project id."""
    return {pid: explain_outcome(result, pid) for pid in result.projects}
