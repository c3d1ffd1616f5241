"""What a clinic starts from, so that a first protocol takes minutes: the reviewed starting
texts `protokit new protocol` writes (`texts`; marked for review by lint rule GOV009 until a
sign-off), a condition's coding and the red flags its red-flag set requires (`conditions`,
for `--condition`), and the example library `protokit init --examples` copies (`examples`)."""
