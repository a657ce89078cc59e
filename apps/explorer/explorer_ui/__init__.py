"""Streamlit-side helpers of the explorer: session state and cached calls into lawfind."""
