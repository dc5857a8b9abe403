from ninja import Router

router = Router(tags=["Charte et label"])
