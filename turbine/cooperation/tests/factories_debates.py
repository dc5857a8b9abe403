"""Factories of debates."""

from __future__ import annotations

import factory

from turbine.cooperation.models import Argument, Debate


class DebateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debate

    question = factory.Sequence(lambda n: f"Faut-il piétonniser le centre-ville numéro {n} ?")
    context = "La commune consulte."


class ArgumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Argument

    debate = factory.SubFactory(DebateFactory)
    side = "pour"
    text = factory.Sequence(lambda n: f"Argument {n}")
