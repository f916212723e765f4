"""Read models: what each screen shows, built once in the domain (which alone applies the privacy rule)."""
