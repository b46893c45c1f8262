"""The monthly report (统计月报): gathered with ``serve``'s queries, its narrative, and how it
shows figures in the workbook and the PDF. May import every stage before it."""
