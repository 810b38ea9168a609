"""Dashboards: counts of a table's rows as charts (`dashboards:` in the YAML; lowcode/spec/dashboards.py).

`query` asks the database for one aggregate per chart, `charts` names and orders the groups in the page's language,
`svg` draws them; lowcode/views/dashboards.py serves the page with each chart's data table.
"""
