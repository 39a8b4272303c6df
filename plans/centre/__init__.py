"""
The centre's desk (issue 16): one year across every municipality a procurement centre serves.

- access.py: the one place a desk page finds its centre and year for a user (404 for anyone but the
  centre's staff), and what they may see and do there;
- the year (year_views, filters, tables, exports): every procurement of the year in one table;
- coordination (suggestions: the rule; coordination: the writes; coordination_views, display): joining
  the same need of several municipalities into one coordinated procurement;
- capacity (capacity: the sums; capacity_services, capacity_views): each officer's load per quarter
  against what they can carry.
"""
