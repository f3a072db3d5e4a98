"""The API toolkit every app's router shares: token and session authentication, page
pagination, refusal answers, the JSON parser and the schemas of the controlled vocabularies.
The routers are put together under /api/v1/ by the project wiring (`project.api`)."""
