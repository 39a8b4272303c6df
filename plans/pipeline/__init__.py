"""Kommande upphandlingar (issue 17): the coming procurements of every public plan, for suppliers."""
