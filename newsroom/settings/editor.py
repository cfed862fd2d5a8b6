"""CKEditor 5 (django-ckeditor-5), imported by ``base``: the story body's editor and its
toolbar. Uploads are for staff only.
"""

# Pictures dropped into the editor go through the image library's checks (ImageAdmin's
# "editor-upload/"); the package's own URLs are not included, so /ckeditor5/ answers 404.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "admin:articles_image_editor_upload"
# The editor canvas wears the story page's own body styles (one file, shared with site.css),
# and the editor speaks the admin's language: the widget sets "language" to the request's
# when it renders; the list below makes it load the ru and az translations it ships.
CKEDITOR_5_CUSTOM_CSS = "css/story-body.css"
CKEDITOR_5_USER_LANGUAGE = True
CKEDITOR_5_CONFIGS = {
    # A live update's box (articles/admin_live.py); its languages come with "default"'s.
    "live": {"toolbar": {"items": ["bold", "italic", "link", "bulletedList", "numberedList"]}},
    "default": {
        "language": ["ru", "az"],
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "insertImage",
                "insertTable",
                "mediaEmbed",
                "|",
                "undo",
                "redo",
            ],
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Heading 2",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Heading 3",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "image": {
            "toolbar": [
                "imageTextAlternative",
                "toggleImageCaption",
                "|",
                "imageStyle:inline",
                "imageStyle:block",
            ],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "mediaEmbed": {"previewsInData": True},
    },
}
