from django.contrib import admin

from .models import FundingStream, Payer, Tariff


@admin.register(Payer)
class PayerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    ordering = ["position", "name"]


@admin.register(FundingStream)
class FundingStreamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "law", "default_payer", "position"]
    list_filter = ["default_payer"]
    search_fields = ["name", "code", "law"]
    ordering = ["position", "name"]


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "year", "amount", "unit", "is_indicative"]
    list_filter = ["year", "is_indicative", "region", "funding_stream"]
    search_fields = ["name", "source", "region__name"]
    autocomplete_fields = ["region"]
    readonly_fields = ["updated_at", "updated_by"]
