"""What is private, and so never shown where others can see the screen: rules (rules.py) built from
categories with a lexicon (lexicon.py, phrases.py) and code sets (resources/content/sensitive_codes.toml)."""
