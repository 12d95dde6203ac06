"""The domain: words, amounts, dates, currencies, the rules about text, and the
records every layer above reads. No I/O."""
