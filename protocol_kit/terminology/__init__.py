"""Code systems the protocol format uses: ICD-10-CM (from the `simple_icd_10_cm` package's
code list) and SNOMED CT (identifier form, check digit, and a small curated display table)."""
