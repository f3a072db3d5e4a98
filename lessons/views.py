from django.contrib.syndication.views import Feed
from django.http import HttpResponse


def lesson_index(request):
    return HttpResponse("todo")


class LatestLessonsFeed(Feed):
    title = "Latest lessons"
    link = "/lessons/"

    def items(self):
        return []
