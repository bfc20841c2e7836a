"""Working-time calendar: office hours, national holidays, cuti bersama; service deadlines.

The pure rules are :mod:`hub.calendar.workingtime`; :mod:`hub.calendar.service` loads an
office's calendar from the database; admins keep the cuti bersama days per year
(:mod:`hub.calendar.actions`, ``/api/admin/calendar``).
"""
