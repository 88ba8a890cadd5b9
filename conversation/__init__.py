"""The conversation, free of any user interface: what the assistant says and how input is understood.

Layers: ``question_banks`` → ``flows`` → ``conversation`` → ``assistant`` (front ends).
:mod:`conversation.core` holds one conversation's state; :mod:`conversation.commands`
is the one command registry; :mod:`conversation.turns` is what front ends render.
Kept light: import the submodules you need.
"""
