from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from plans.register.access import LoginNeeded


class LoginNeededMiddleware:
    """Sends an anonymous visitor to the login page when a plan is not public (existing or not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginNeeded):
            return redirect_to_login(request.get_full_path())
        return None


class LanguageMiddleware(LocaleMiddleware):
    """Swedish unless the user chose English with the language switch.

    Django's own LocaleMiddleware would follow the browser's Accept-Language, so a Swedish official
    with an English browser would get English pages; here only the user's choice (the language
    cookie) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
