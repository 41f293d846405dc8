"""A team's existing caseload, brought in from the spreadsheet it is kept in (issue 28): the
file read as it is (sheets), its columns found (columns), its cells read as the register's
values (values), and the whole read into clients with their network and agreements, every
problem named by sheet, row and column (reading). Nothing here writes to the register."""
