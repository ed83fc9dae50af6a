"""The caseworkers' web front end: its own deployable, a client of the services' HTTP APIs.

Server-rendered pages (``*_pages``) in English and French (``messages/``),
with a small vendored hypermedia library (htmx 2.0.8, 0BSD, from its npm
package, under ``static/``) for the client search as you type. Pages are
built in Python; every value placed in them is escaped by one function,
:func:`services.web.markup.text`. Caseworkers' pages (worklists, clients,
plans, Second Career preparation, program cases) and the ministry's
(``decision_pages``: what waits for my decision) share the layout.
It holds no data of its own: every page reads intake, caseload, programs and
reporting over HTTP with the signed-in user's token, and every form sends its
command with an idempotency key generated when the form was rendered, then
redirects (POST-redirect-GET), so a double-click or a refresh never performs a
command twice. Sign-in is the shared module :mod:`chassis.web`.
"""
