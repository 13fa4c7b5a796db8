"""Plans to and from spreadsheets (a folder of CSV files or one XLSX workbook).

layout.py says what the sheets and columns are; export.py turns a plan's graph into
tables and importer.py turns tables back into the same graph, so that a plan exported
and imported again is isomorphic to the plan file it came from.
"""
