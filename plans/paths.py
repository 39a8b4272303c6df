"""The two address prefixes every part's urls build on (DESIGN §4: stable addresses)."""

# Fixed words come before <ref>, and register.validation.RESERVED_REFS keeps a procurement from taking
# one of them; plans/urls.py includes the procurement's own address (register) last.
PLAN = "<slug:municipality>/<int:year>/"
PROCUREMENT = PLAN + "<str:ref>/"
