"""What documents adds to other apps' screens (through ``core.extensions``)."""

from core.extensions import Panel
from documents import selectors


def customer_documents(request, customer):
    """The customer page's documents list: every letter and copy the user may open."""
    documents = selectors.for_customer(customer, request.user)
    if not documents:
        return []
    return [Panel("documents/_document_list.html",
                  {"documents": documents, "heading": "Letters and case-file copies"})]
