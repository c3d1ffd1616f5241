"""`protokit measures`: the standard outcome measures a prescription may record."""

from __future__ import annotations

import click


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="List the standard outcome measures, their ranges and LOINC codes.",
)
def measures() -> None:
    """List the standard outcome measures a prescription may record (`measures[].measure`):
    code, name, range, which way is better, and the LOINC code where one was verified. A
    clinic's own measure is written in the prescription as `custom`, with its range."""
    from protocol_kit.prescribing.measures import standard_measures

    for code, m in standard_measures().items():
        unit = f" {m.unit}" if m.unit else ""
        loinc = f"LOINC {m.loinc['code']}" if m.loinc else "no LOINC code verified"
        click.echo(
            f"{code:<11} {m.name}: {m.low:g} to {m.high:g}{unit}, {m.better} is better; {loinc}"
        )
        if m.subscore:
            click.echo(f"{'':<11} subscore: {m.subscore['name']}, {m.subscore['min']} to "
                       f"{m.subscore['max']}")  # fmt: skip
        for group in (m.risk_groups or {}).get("groups", ()):
            bounds = []
            if "total_max" in group:
                bounds.append(f"total {group['total_max']} or less")
            if "total_min" in group:
                bounds.append(f"total {group['total_min']} or more")
            if "subscore_max" in group:
                bounds.append(f"subscore {group['subscore_max']} or less")
            if "subscore_min" in group:
                bounds.append(f"subscore {group['subscore_min']} or more")
            click.echo(f"{'':<11} {group['name']} risk: {' and '.join(bounds)}")
