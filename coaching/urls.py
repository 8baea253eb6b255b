app_name = "coaching"

urlpatterns: list = []
