"""The survey web app: FastAPI, server-rendered Jinja2 pages, no JavaScript.

``create_app(engine)`` builds it; ``mlorg serve`` runs it with uvicorn. See docs/survey.md for the
security model (argon2 admin password, HttpOnly SameSite=Strict cookies, CSRF tokens on every
form, unguessable respondent links, no identifying data stored with an answer).
"""
