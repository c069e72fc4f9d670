from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def certificate_list(request):
    return render(request, "certificates/list.html", {"certificates": []})
