from ninja import NinjaAPI

api = NinjaAPI(title="Lessons Knowledge Base API", version="1", urls_namespace="api-v1")
