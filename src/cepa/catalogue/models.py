"""The CCC catalogue as versioned reference data. Every record carries its source and certainty."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sourced(models.Model):
    source = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")
    confirmed = models.BooleanField(default=True, help_text=_("False where the research could not verify it"))

    class Meta:
        abstract = True


class TrilingualName(models.Model):
    name_en = models.CharField(max_length=300)
    name_zh_hant = models.CharField(max_length=300, blank=True, default="")
    name_zh_hans = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        abstract = True


class Sector(models.TextChoices):
    ELECTRICAL_ELECTRONIC = "electrical_electronic", _("Electrical and electronic products")
    NON_ELECTRICAL_ELECTRONIC = "non_electrical_electronic", _("Non-electrical and electronic products")


class ConformityRoute(models.TextChoices):
    CERTIFICATION = "certification", _("Third-party certification")
    SELF_DECLARATION_A = "self_declaration_a", _("Self-declaration, procedure A")
    SELF_DECLARATION_B = "self_declaration_b", _("Self-declaration, procedure B")


class SpanRoute(models.TextChoices):
    """The routes a product type has had over time. Besides the current routes it holds the maker's choice
    of either (SAMR/CNCA PN 2018 No.11 and No.29, until SAMR PN 2019 No.44), which no type has today."""

    CERTIFICATION = "certification", _("Third-party certification")
    CERTIFICATION_OR_SELF_DECLARATION = (
        "certification_or_self_declaration",
        _("Third-party certification or self-declaration, at the maker's choice"),
    )
    SELF_DECLARATION_A = "self_declaration_a", _("Self-declaration, type test in any laboratory (*)")
    SELF_DECLARATION_B = (
        "self_declaration_b",
        _("Self-declaration, type test in a designated laboratory (**)"),
    )


class Instrument(Sourced):
    """A legal instrument the rules or the catalogue rest on (a public notice, a guide, an agreement)."""

    key = models.CharField(max_length=60, primary_key=True)
    title_en = models.TextField()
    title_zh_hant = models.TextField(blank=True, default="")
    title_zh_hans = models.TextField(blank=True, default="")
    issued = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class CatalogueVersion(Sourced):
    key = models.CharField(max_length=40, primary_key=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="catalogue_versions")
    effective = models.DateField()
    category_count = models.PositiveIntegerField(null=True, blank=True)
    product_type_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["effective"]

    def __str__(self) -> str:
        return self.key


class Category(Sourced, TrilingualName):
    key = models.CharField(max_length=40, primary_key=True)
    number_2020 = models.PositiveSmallIntegerField(null=True, blank=True)
    number_2023 = models.PositiveSmallIntegerField(null=True, blank=True)
    # Which CNCA enquiry contact handles it: the mapping is not published, so it is data, not code.
    sector = models.CharField(max_length=40, choices=Sector.choices)
    sector_confirmed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["number_2023", "number_2020", "key"]

    def __str__(self) -> str:
        return f"{self.key} {self.name_en}"


# What names a product type where a code is asked for: a 4-digit code, or the key the catalogue gives a
# type without a published code (a lower-case slug); contract §1, rev. 2. A pattern for the schemas of
# the faces and the services; whether a name is in the catalogue is the selectors' check.
CODE_OR_KEY = r"^([0-9]{4}|[a-z][a-z0-9]*(-[a-z0-9]+)*)$"
# An inspector's specialty: a family (2 digits; no family covers a type named by its key) or a type.
FAMILY_CODE_OR_KEY = r"^([0-9]{2}|[0-9]{4}|[a-z][a-z0-9]*(-[a-z0-9]+)*)$"


class ProductType(Sourced, TrilingualName):
    """A catalogue product type. `code` is its 4-digit code; a few newer types have none published yet.

    Its time in the catalogue is its `periods`, its conformity route over time its `route_spans`. The
    fields `applications_from`, `mandatory_from` (the first period's), `removed_on`, `removed_by` (the
    last period's) and `route`, `route_confirmed` (the last span's) summarise them for readers that
    predate periods; the loader refuses shipped data where they disagree.
    """

    key = models.CharField(max_length=60, primary_key=True)
    code = models.CharField(max_length=4, unique=True, null=True, blank=True)
    code_confirmed = models.BooleanField(
        null=True, blank=True,
        help_text=_(
            "False where the code, or which codes the type bundles, is inferred; empty without a code"
        ),
    )
    other_codes = models.JSONField(default=list, blank=True, help_text=_("Further codes the type bundles"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="product_types")
    route = models.CharField(max_length=30, choices=ConformityRoute.choices)
    route_confirmed = models.BooleanField(default=True)
    sector = models.CharField(max_length=40, choices=Sector.choices, blank=True, default="",
                              help_text=_("Overrides the category's enquiry sector when set"))
    versions = models.ManyToManyField(CatalogueVersion, related_name="product_types", blank=True)
    applications_from = models.DateField(help_text=_("First day of the type's first period in the catalogue"))
    mandatory_from = models.DateField(null=True, blank=True)
    removed_on = models.DateField(
        null=True, blank=True, help_text=_("First day after the type's last period in the catalogue")
    )
    removed_by = models.ForeignKey(Instrument, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="removed_product_types")

    class Meta:
        verbose_name = _("product type")
        verbose_name_plural = _("product types")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.code or self.key} {self.name_en}"

    @property
    def enquiry_sector(self) -> str:
        return self.sector or self.category.sector

    @property
    def all_codes(self) -> list[str]:
        """The main code (when published) followed by the bundled codes."""
        main = [self.code] if self.code else []
        return main + [str(other) for other in self.other_codes or ()]


class CataloguePeriod(models.Model):
    """A stretch of days a product type is in the catalogue: from the day it became subject to CCC
    (applications opened) through `until`, the day before it was removed (null while it is in)."""

    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField()
    until = models.DateField(null=True, blank=True, help_text=_("Last day in the catalogue"))
    mandatory_from = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="started_periods")
    ended_by = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, null=True, blank=True, related_name="ended_periods"
    )
    start_confirmed = models.BooleanField(help_text=_("False where the start date is inferred"))
    end_confirmed = models.BooleanField(null=True, blank=True, help_text=_("Empty while the period is open"))
    source = models.TextField()
    note = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("period in the catalogue")
        verbose_name_plural = _("periods in the catalogue")
        ordering = ["product_type", "start"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "start"], name="catalogue_period_start_once"),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("start")),
                name="catalogue_period_until_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_type_id} {self.start}..{self.until or ''}"

    @property
    def confirmed(self) -> bool:
        return self.start_confirmed and self.end_confirmed is not False

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


class RouteSpan(Sourced):
    """The conformity route of a product type from `start` through `until` (null: still in force)."""

    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="route_spans")
    route = models.CharField(max_length=40, choices=SpanRoute.choices)
    start = models.DateField()
    until = models.DateField(null=True, blank=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="route_spans")

    class Meta:
        verbose_name = _("conformity route period")
        verbose_name_plural = _("conformity route periods")
        ordering = ["product_type", "start"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "start"], name="route_span_start_once"),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("start")),
                name="route_span_until_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_type_id} {self.route} {self.start}..{self.until or ''}"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


class ProductTypeChange(Sourced):
    """A dated change to a product type: added, removed, route changed, scope extended or narrowed."""

    # A stable name from the shipped data, so reloading updates the same row.
    key = models.CharField(max_length=100, unique=True)
    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=30)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, null=True, blank=True)
    effective = models.DateField(null=True, blank=True)
    applications_from = models.DateField(null=True, blank=True)
    mandatory_from = models.DateField(null=True, blank=True)
    new_route = models.CharField(max_length=30, choices=ConformityRoute.choices, blank=True, default="")

    class Meta:
        verbose_name = _("product type change")
        verbose_name_plural = _("product type changes")
        ordering = ["product_type", "effective", "id"]


class RoutineScopeEntry(Sourced):
    """A product type in the routine (any-time) laboratory designation scope, with its basis."""

    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="routine_scope")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="routine_scope")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("routine scope entry")
        verbose_name_plural = _("routine scope entries")
        ordering = ["product_type", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_type", "instrument"], name="routine_scope_once_per_instrument"
            )
        ]


class MeasureActivity(models.TextChoices):
    CCC_TESTING = "ccc_testing", _("CCC testing by Hong Kong laboratories")
    CCC_FACTORY_INSPECTION = (
        "ccc_factory_inspection",
        _("CCC factory inspection and post-certification sampling by Hong Kong bodies"),
    )
    VOLUNTARY_CERTIFICATION = "voluntary_certification", _("Testing for voluntary certification")
    OTHER = "other", _("Other testing and certification commitments")


class CepaMeasure(Sourced, TrilingualName):
    """A dated CEPA commitment opening CCC (or other certification) work to Hong Kong bodies: what it allowed,
    and which place of processing or origin the products had to have. `name_*` names the instrument and
    the measure; `instrument` links it where the catalogue has the instrument."""

    key = models.CharField(max_length=60, primary_key=True)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    activity = models.CharField(max_length=30, choices=MeasureActivity.choices)
    # As far as it was read: YYYY-MM, or YYYY-MM-DD where the day is known.
    signed = models.CharField(max_length=10)
    effective = models.DateField(
        null=True, blank=True, help_text=_("First day in force; empty where not read")
    )
    effective_confirmed = models.BooleanField(help_text=_("False where only the month, or nothing, was read"))
    until = models.DateField(null=True, blank=True, help_text=_("Last day in force; empty while in force"))
    until_confirmed = models.BooleanField(null=True, blank=True, help_text=_("Empty while in force"))
    scope_en = models.TextField()
    scope_zh_hant = models.TextField()
    scope_zh_hans = models.TextField()
    place_en = models.TextField()
    place_zh_hant = models.TextField()
    place_zh_hans = models.TextField()
    place_restricted = models.BooleanField(
        null=True, blank=True,
        help_text=_("Whether where the products were processed or made limited it; empty if not read"),
    )

    class Meta:
        verbose_name = _("CEPA measure")
        verbose_name_plural = _("CEPA measures")
        ordering = ["effective", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("effective")),
                name="cepa_measure_until_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def covers(self, day: dt.date) -> bool:
        started = self.effective is not None and self.effective <= day
        return started and (self.until is None or day <= self.until)


class RoutineApplicant(models.TextChoices):
    DESIGNATED_LABORATORIES = "designated_laboratories", _("Laboratories already designated for CCC")
    ANY_LABORATORY = "any_laboratory", _("Any laboratory")
    UNKNOWN = "unknown", _("Not known")


class RoutineProvision(Sourced):
    """A provision for routine (any-time) designation of CCC laboratories, as far as its text was read.

    The product types open to any laboratory are in `RoutineScopeEntry`; a provision also records what
    has no per-type entry (an already designated laboratory completing its scope) and what was not found.
    """

    key = models.CharField(max_length=60, primary_key=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="routine_provisions")
    applicant = models.CharField(max_length=30, choices=RoutineApplicant.choices)
    text_en = models.TextField()
    text_zh_hant = models.TextField()
    text_zh_hans = models.TextField()
    scope_confirmed = models.BooleanField(
        help_text=_("False where the fields or products it covers (its annexes) were not read")
    )

    class Meta:
        verbose_name = _("routine designation provision")
        verbose_name_plural = _("routine designation provisions")
        ordering = ["instrument", "key"]

    def __str__(self) -> str:
        return self.key


class Contact(Sourced, TrilingualName):
    """The CNCA enquiry contact of a sector."""

    sector = models.CharField(max_length=40, choices=Sector.choices, primary_key=True)
    organisation_en = models.CharField(
        max_length=200, default="Certification and Accreditation Administration (CNCA)"
    )
    organisation_zh_hant = models.CharField(max_length=200, blank=True, default="")
    organisation_zh_hans = models.CharField(max_length=200, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")
    email = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("CNCA contact")
        verbose_name_plural = _("CNCA contacts")
        ordering = ["sector"]


class ReferenceDataRelease(models.Model):
    """Which release of the shipped reference data is loaded (so reloading is idempotent)."""

    name = models.CharField(max_length=60, primary_key=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.checksum[:12]}"

    class Meta:
        verbose_name = _("reference data release")
        verbose_name_plural = _("reference data releases")
