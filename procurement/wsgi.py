import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")

application = get_wsgi_application()

# What start-up loaded lives as long as the worker: keep it out of the garbage collector's full
# collections, which otherwise pause a request on a large page (the centre's year of 1 500
# procurements) for tens of milliseconds. `make bench` measures the pages the same way.
gc.collect()
gc.freeze()
