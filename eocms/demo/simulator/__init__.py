"""The synthetic province: a seeded model of sites, clients and their year, free of HTTP.

:func:`simulate` returns a :class:`Scenario`: chains of dated :class:`Step`
commands. :mod:`eocms.demo.driver` sends them to the services.
"""

from eocms.demo.simulator.province import Province, SiteProfile
from eocms.demo.simulator.scenario import Scenario, simulate
from eocms.demo.simulator.steps import Action, Step

__all__ = ["Action", "Province", "Scenario", "SiteProfile", "Step", "simulate"]
