"""The Client aggregate: registration, profile updates, suitability and eligibility."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.intake import (
    ClientPersonalDetailsErased,
    ClientProfileUpdated,
    ClientRegistered,
    EligibilityDetermined,
    SuitabilityAssessed,
)
from contracts.registry import EventSchema
from contracts.rulebook import RuleBook, fiscal_year_of
from services.intake.domain.attributes import ATTRIBUTE_NAMES, ClientAttributes
from services.intake.domain.eligibility import Eligibility, determine_eligibility
from services.intake.domain.errors import (
    ClientAlreadyRegistered,
    ClientNotRegistered,
    DateBeforeRegistration,
    DateInFuture,
    InvalidProfile,
    WrongRuleBook,
)
from services.intake.domain.personal_details import PersonalDetails
from services.intake.domain.profile import Profile
from services.intake.domain.suitability import Suitability, assess_suitability


class Client(Aggregate):
    """A person registered at a service delivery site, known on the bus by ``client_id``.

    Events carry only derived attributes. The personal details are held in
    ``personal_details`` for the application layer to store encrypted; they
    are never recorded, so a rehydrated client has none until
    :meth:`attach_personal_details` is called.

    Every command takes ``today`` so that no rule reads the clock.
    """

    def __init__(self, client_id: UUID) -> None:
        super().__init__(str(client_id))
        self._initial_state()

    def _initial_state(self) -> None:
        self.client_id = UUID(self.id)
        self.site_id: str | None = None
        self.registered_on: date | None = None
        self.attributes: ClientAttributes | None = None
        self.suitability: Suitability | None = None
        self.eligibility: Eligibility | None = None
        self.personal_details: PersonalDetails | None = None
        self.personal_details_erased = False

    @property
    def is_registered(self) -> bool:
        """Whether the client has been registered."""
        return self.registered_on is not None

    # Commands

    def register(
        self,
        *,
        site_id: str,
        registered_on: date,
        profile: Profile,
        personal_details: PersonalDetails,
        today: date,
    ) -> None:
        """Register the client at a site with their profile and personal details."""
        if self.registered_on is not None:
            raise ClientAlreadyRegistered(
                f"client {self.client_id} is already registered "
                f"(on {self.registered_on} at site {self.site_id})"
            )
        _not_after_today("the registration date", registered_on, today)
        _same_birth_date(profile, personal_details)
        attributes = profile.attributes_on(registered_on)
        self._record(
            ClientRegistered(
                client_id=self.client_id,
                site_id=site_id,
                registered_on=registered_on,
                **attributes.as_event_fields(),
            )
        )
        self.personal_details = personal_details

    def update_profile(self, profile: Profile, *, updated_on: date, today: date) -> None:
        """Record the derived attributes that changed; records nothing if none did."""
        current, registered_on = self._registration()
        self._check_decision_date("the update date", updated_on, today)
        if self.personal_details is not None:
            _same_birth_date(profile, self.personal_details)
        changes = current.changes_to(profile.attributes_on(registered_on))
        if changes:
            self._record(
                ClientProfileUpdated(client_id=self.client_id, updated_on=updated_on, **changes)
            )

    def assess_suitability(self, rulebook: RuleBook, *, assessed_on: date, today: date) -> None:
        """Count the rule book's suitability indicators that apply; band and threshold follow."""
        attributes, _ = self._registration()
        self._check_decision_date("the assessment date", assessed_on, today)
        _rulebook_of_the_year(rulebook, assessed_on)
        outcome = assess_suitability(attributes, rulebook)
        self._record(
            SuitabilityAssessed(
                client_id=self.client_id,
                assessed_on=assessed_on,
                fiscal_year=outcome.fiscal_year,
                rule_book_version=outcome.rule_book_version,
                indicators=list(outcome.indicators),
                indicator_count=outcome.count,
                band=outcome.band,
                suitable=outcome.suitable,
            )
        )

    def determine_eligibility(
        self, rulebook: RuleBook, *, determined_on: date, today: date
    ) -> None:
        """Decide eligibility for assisted Employment Service under the rule book."""
        attributes, _ = self._registration()
        self._check_decision_date("the determination date", determined_on, today)
        _rulebook_of_the_year(rulebook, determined_on)
        outcome = determine_eligibility(attributes, rulebook)
        self._record(
            EligibilityDetermined(
                client_id=self.client_id,
                determined_on=determined_on,
                fiscal_year=outcome.fiscal_year,
                rule_book_version=outcome.rule_book_version,
                eligible_for_assisted_es=outcome.eligible,
                reasons=list(outcome.reasons),
            )
        )

    def erase_personal_details(self, *, erased_on: date, today: date) -> None:
        """Record the erasure of the client's personal details; nothing if already erased."""
        self._registration()
        self._check_decision_date("the erasure date", erased_on, today)
        self.personal_details = None
        if not self.personal_details_erased:
            self._record(ClientPersonalDetailsErased(client_id=self.client_id, erased_on=erased_on))

    def attach_personal_details(self, personal_details: PersonalDetails) -> None:
        """Hold personal details loaded from the encrypted store, or corrected ones.

        Records no event: personal details never travel on the bus.
        """
        self._registration()
        self.personal_details = personal_details

    # Checks

    def _registration(self) -> tuple[ClientAttributes, date]:
        """The current attributes and registration date, or ClientNotRegistered."""
        if self.attributes is None or self.registered_on is None:
            raise ClientNotRegistered(f"client {self.client_id} is not registered")
        return self.attributes, self.registered_on

    def _check_decision_date(self, what: str, day: date, today: date) -> None:
        _not_after_today(what, day, today)
        _, registered_on = self._registration()
        if day < registered_on:
            raise DateBeforeRegistration(
                f"{what} {day} is before the client's registration on {registered_on}"
            )

    # Events

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the client's events."""
        match event:
            case ClientRegistered():
                self.site_id = event.site_id
                self.registered_on = event.registered_on
                self.attributes = ClientAttributes(**event.model_dump(include=set(ATTRIBUTE_NAMES)))
            case ClientProfileUpdated():
                attributes, _ = self._registration()
                self.attributes = attributes.with_changes(event.changes())
            case SuitabilityAssessed():
                self.suitability = Suitability(
                    fiscal_year=event.fiscal_year,
                    rule_book_version=event.rule_book_version,
                    indicators=tuple(event.indicators),
                    band=event.band,
                    suitable=event.suitable,
                )
            case ClientPersonalDetailsErased():
                self.personal_details_erased = True
            case EligibilityDetermined():
                self.eligibility = Eligibility(
                    fiscal_year=event.fiscal_year,
                    rule_book_version=event.rule_book_version,
                    eligible=event.eligible_for_assisted_es,
                    reasons=tuple(event.reasons),
                )
            case _:
                super().apply(event)


def _not_after_today(what: str, day: date, today: date) -> None:
    if day > today:
        raise DateInFuture(f"{what} {day} is in the future (today is {today})")


def _same_birth_date(profile: Profile, personal_details: PersonalDetails) -> None:
    if profile.date_of_birth != personal_details.date_of_birth:
        raise InvalidProfile("the profile's date of birth differs from the personal details'")


def _rulebook_of_the_year(rulebook: RuleBook, day: date) -> None:
    year = fiscal_year_of(day)
    if rulebook.fiscal_year != year:
        raise WrongRuleBook(
            f"the {rulebook.fiscal_year} rule book cannot decide on {day}, "
            f"which falls in fiscal year {year}"
        )
