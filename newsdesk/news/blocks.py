"""StreamField blocks of an article body."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]


class SubheadingBlock(blocks.CharBlock):
    """A second-level heading inside the story."""

    class Meta:
        icon = "title"
        template = "news/blocks/subheading.html"
        form_classname = "title"


class QuotationBlock(blocks.StructBlock):
    """A quotation set apart from the text, with who said it."""

    text = blocks.TextBlock(max_length=2000)
    attribution = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quotation.html"
        preview_value = {"text": "We are working that out right now.", "attribution": "Joe Biden"}


class ImageBlock(blocks.StructBlock):
    """A picture in the story; alt text is required because screen readers need it."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the picture for readers who cannot see it."
    )
    caption = blocks.CharBlock(max_length=500, required=False)
    credit = blocks.CharBlock(
        max_length=200, required=False, help_text="Leave blank to use the image's own credit."
    )

    class Meta:
        icon = "image"
        template = "news/blocks/image.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="news/blocks/paragraph.html", icon="pilcrow"
    )
    subheading = SubheadingBlock()
    bulleted_list = blocks.ListBlock(
        blocks.RichTextBlock(features=PARAGRAPH_FEATURES),
        template="news/blocks/bulleted_list.html",
        icon="list-ul",
    )
    numbered_list = blocks.ListBlock(
        blocks.RichTextBlock(features=PARAGRAPH_FEATURES),
        template="news/blocks/numbered_list.html",
        icon="list-ol",
    )
    quotation = QuotationBlock()
    image = ImageBlock()
    embed = EmbedBlock(max_width=800, template="news/blocks/embed.html", icon="media")


class AuthorLinkBlock(blocks.StructBlock):
    """A link on an author's page (website, social profile)."""

    label = blocks.CharBlock(max_length=60)
    url = blocks.URLBlock()

    class Meta:
        icon = "link"
