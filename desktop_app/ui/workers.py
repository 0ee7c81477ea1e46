"""Long work off the UI thread: one QObject per heavy resource, each in its own QThread.

``ModelWorker`` owns the chat model (answers: retrieval, generation, saving through a
``ChatSession``; comparisons; evaluations). ``IndexWorker`` owns the library's writes (imports
with their parser process, removals, conversation renames and deletions). The window talks to
them only through queued signals, and reads what they know only from the signals' payloads;
stopping uses ``threading.Event``s, which the busy worker checks between tokens and between files.
"""

from __future__ import annotations

import logging
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.core.adapters import model_width
from desktop_app.core.embedding import Embedder
from desktop_app.core.errors import AppError
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import tr

log = logging.getLogger(__name__)


class SharedEmbedder:
    """One embedder for both workers, loaded on first use (importing torch takes seconds)."""

    def __init__(self, workspace: Workspace):
        self._workspace = workspace
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()

    def get(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = self._workspace.make_embedder()
            return self._embedder

    def replace(self, embedder: Embedder) -> None:
        """Use ``embedder`` from now on (the library was re-indexed with it)."""
        with self._lock:
            self._embedder = embedder


@dataclass(frozen=True)
class AskRequest:
    question: str
    conversation_id: int | None  # None: a new conversation
    new_session: bool = False  # the user started a new chat or opened another one: earlier turns are not history
    use_retrieval: bool = True
    doc_ids: tuple[int, ...] | None = None  # None: the whole library
    top_k: int = 5
    rerank: bool = False
    max_tokens: int = 384
    temperature: float = 0.2
    summarize_path: str | None = None  # a whole-document answer about this document (core.summarize)


@dataclass(frozen=True)
class ModelFacts:
    """What the window may know of the loaded model: sent with ``modelLoaded``, never read from the worker."""

    name: str
    path: str
    architecture: str
    width: int | None  # hidden size: which adapters fit
    n_ctx: int
    threads: int
    gpu_layers: int
    load_s: float
    server_adapters: tuple[str, ...] = ()  # a model server's adapters (its ``<model>+<adapter>`` names)


class ModelWorker(QObject):
    modelLoading = Signal(str)
    modelLoaded = Signal(object)  # ModelFacts
    modelFailed = Signal(str, object)  # message, the ModelFacts still loaded (None when none)
    adaptersChanged = Signal(list)  # [(path, scale)]
    adapterFailed = Signal(str)
    retrieved = Signal(list)  # sources (core.rag.Source), before the first token
    summaryProgress = Signal(str, int, int)  # stage, parts done, parts in all (core.summarize.SummaryProgress)
    token = Signal(str)
    answerFinished = Signal(object, object)  # core.rag.Answer, conversation id (None when it could not be saved)
    answerNotSaved = Signal(str)
    answerFailed = Signal(str)
    compared = Signal(str, object)  # configuration name, core.rag.Answer
    comparisonFinished = Signal()
    evalProgress = Signal(int, int)
    evalFinished = Signal(int)  # run id
    evalFailed = Signal(str)

    def __init__(self, workspace: Workspace, embedder: SharedEmbedder):
        super().__init__()
        self.workspace = workspace
        self.embedder = embedder
        self.cancel = threading.Event()
        self._model = None
        self._facts: ModelFacts | None = None
        self._store = None
        self._session = None

    def _open_store(self):
        if self._store is None:
            self._store = self.workspace.open_store()
        return self._store

    @Slot(str)
    def load_model(self, path: str) -> None:
        self.modelLoading.emit(Path(path).name if path else tr("default model"))
        try:
            new_model = self.workspace.load_chat_model(path or None)
        except Exception as exc:  # never leave the worker dead on an unexpected failure
            if not isinstance(exc, AppError):
                log.exception("model load failed")
            message = str(exc) if isinstance(exc, AppError) else tr("The model could not be loaded: {error}", error=exc)
            self.modelFailed.emit(message, self._facts)
            return
        previous, self._model = self._model, new_model
        if previous is not None:
            previous.close()
        self._facts = ModelFacts(new_model.name, str(new_model.path), new_model.info.architecture,
                                 model_width(new_model.info), new_model.n_ctx,
                                 new_model.n_threads, new_model.n_gpu_layers, new_model.load_seconds,
                                 tuple(getattr(new_model, "server_adapters", list)()))
        self.modelLoaded.emit(self._facts)  # a new model starts with no adapters

    @Slot(list)
    def set_adapters(self, adapters: list) -> None:
        if self._model is None:
            self.adapterFailed.emit(tr("No model is loaded yet."))
            return
        try:
            self._model.set_adapters(adapters)
        except AppError as exc:
            self.adapterFailed.emit(str(exc))
        self.adaptersChanged.emit([(str(a.path), a.scale) for a in self._model.active_adapters])

    @Slot(object)
    def ask(self, request: AskRequest) -> None:
        from desktop_app.core.answering import AnswerOptions
        from desktop_app.core.conversations import ChatSession

        self.cancel.clear()
        if self._model is None:
            self.answerFailed.emit(tr("The model is not loaded yet; wait for it (see the status bar)."))
            return
        try:
            store = self._open_store()
            if self._session is None:
                self._session = ChatSession(store, request.conversation_id)
            elif request.new_session or self._session.conversation_id != request.conversation_id:
                self._session.open(request.conversation_id)
            if request.summarize_path is not None:
                exchange = self._session.summarize(
                    self._model, request.summarize_path,
                    on_progress=lambda p: self.summaryProgress.emit(p.stage, p.done, p.total),
                    on_token=self.token.emit, cancel=self.cancel)
                self.answerFinished.emit(exchange.answer, exchange.conversation_id)
                if exchange.not_saved:
                    self.answerNotSaved.emit(exchange.not_saved)
                return
            options = AnswerOptions(use_retrieval=request.use_retrieval, top_k=request.top_k, doc_ids=request.doc_ids,
                                    max_tokens=request.max_tokens, temperature=request.temperature, seed=None,
                                    rerank=request.rerank)
            exchange = self._session.ask(
                self._model, self.embedder.get() if request.use_retrieval else None, request.question,
                options=options, on_sources=lambda s: self.retrieved.emit(list(s)), on_token=self.token.emit,
                cancel=self.cancel)
            self.answerFinished.emit(exchange.answer, exchange.conversation_id)
            if exchange.not_saved:
                self.answerNotSaved.emit(exchange.not_saved)
        except AppError as exc:
            self.answerFailed.emit(str(exc))
        except Exception as exc:
            log.error("answer failed: %s", traceback.format_exc())
            self.answerFailed.emit(tr("The answer failed: {error}", error=exc))

    @Slot(str, list)
    def compare(self, question: str, adapters: list) -> None:
        from desktop_app.core.answering import AnswerOptions, compare

        self.cancel.clear()
        try:
            if self._model is None:
                raise AppError(tr("The model is not loaded yet; wait for it (see the status bar)."))
            settings = self.workspace.settings
            adapters = adapters or self.workspace.default_adapters(self._model.info.architecture,
                                                                  model_width(self._model.info))
            compare(self._model, self._open_store(), self.embedder.get(), question, adapters=adapters,
                    options=AnswerOptions(top_k=settings.top_k, max_tokens=settings.max_answer_tokens, temperature=0.0,
                                          rerank=settings.rerank),
                    on_answer=lambda configuration, answer: self.compared.emit(configuration.name, answer),
                    cancel=self.cancel)
        except AppError as exc:
            self.answerFailed.emit(str(exc))
        except Exception as exc:
            log.error("compare failed: %s", traceback.format_exc())
            self.answerFailed.emit(tr("The comparison failed: {error}", error=exc))
        self.comparisonFinished.emit()

    @Slot(object)
    def evaluate(self, request) -> None:
        """Run a ``core.evaluation.runs.EvaluationRequest`` and save it; ``evalFinished`` carries the run id."""
        from desktop_app.core.evaluation.runs import run_evaluation

        self.cancel.clear()
        try:
            result = run_evaluation(self.workspace, request, store=self._open_store(), embedder=self.embedder.get(),
                                    model=self._model, progress=self.evalProgress.emit, cancel=self.cancel)
            self.evalFinished.emit(result.run_id)
        except AppError as exc:
            self.evalFailed.emit(tr("The evaluation failed: {error}", error=exc))
        except Exception as exc:
            log.error("evaluation failed: %s", traceback.format_exc())
            self.evalFailed.emit(tr("The evaluation failed: {error}", error=exc))

    def shutdown(self) -> None:
        """Free the model and the store; call once the worker's thread has stopped."""
        if self._model is not None:
            self._model.close()
            self._model = None
        if self._store is not None:
            self._store.close()
            self._store = None


class IndexWorker(QObject):
    importStarted = Signal(int)  # files found
    progress = Signal(object)  # core.ingest.ImportProgress
    fileProgress = Signal(object)  # core.ingest.FileProgress, while a large file is streamed
    importFinished = Signal(object)  # core.ingest.ImportSummary
    importFailed = Signal(str)
    libraryChanged = Signal()
    conversationsChanged = Signal()
    writeFailed = Signal(str)
    watchedChanged = Signal()  # a folder added, removed, paused or resumed
    folderSynced = Signal(str, dict)  # folder, what the sync did (core.folder_sync.SyncResult.counts)

    def __init__(self, workspace: Workspace, embedder: SharedEmbedder):
        super().__init__()
        self.workspace = workspace
        self.embedder = embedder
        self.cancel = threading.Event()
        self._extractor = None
        self._sync_failures: dict[str, dict] = {}  # per watched folder: files not retried until they change

    @Slot()
    def warm_up(self) -> None:
        """Load the embedder and read the library's vectors ahead of the first import or question
        (importing torch takes seconds; the vectors of a large library too)."""
        try:
            self.embedder.get().load()
            with self.workspace.open_store() as store:
                store.search.warm()
        except AppError as exc:
            self.importFailed.emit(str(exc))

    @Slot(list)
    def import_paths(self, paths: list) -> None:
        from desktop_app.core.ingest import collect_files

        self.cancel.clear()
        try:
            files, _ = collect_files(paths)
            self.importStarted.emit(len(files))
            with self.workspace.open_store() as store:
                summary = self._importer(store).run(paths, on_progress=self.progress.emit,
                                                    on_file_progress=self.fileProgress.emit, cancel=self.cancel)
        except Exception as exc:
            self._import_failed(exc, tr("The import failed: {error}", error=exc))
        else:
            self.importFinished.emit(summary)

    @Slot(str)
    def reindex(self, choice: str) -> None:
        """Index the library again for the embedder ``choice``; questions keep the current index meanwhile."""
        from desktop_app.core.ingest import Importer

        self.cancel.clear()
        try:
            new = self.workspace.make_embedder(choice)
            settings = self.workspace.settings
            with self.workspace.open_store() as store:
                self.importStarted.emit(len(store.reindex.pending_documents()) if store.reindex.target()
                                        else len(store.documents()))
                importer = Importer(store, new, extractor=None, chunk_tokens=settings.chunk_tokens,
                                    chunk_overlap=settings.chunk_overlap)
                summary = importer.reindex(on_progress=self.progress.emit, cancel=self.cancel)
            if not summary.cancelled:
                self.embedder.replace(new)
        except AppError as exc:
            self.importFailed.emit(str(exc))
        except Exception as exc:
            log.error("re-index failed: %s", traceback.format_exc())
            self.importFailed.emit(tr("The re-index failed: {error}", error=exc))
        else:
            self.importFinished.emit(summary)
        self.libraryChanged.emit()

    @Slot(str)
    def watch_folder(self, folder: str) -> None:
        self._write(lambda store: store.watched.add(folder))
        self.watchedChanged.emit()
        self.sync_folders([folder])

    @Slot(str)
    def unwatch_folder(self, folder: str) -> None:
        self._write(lambda store: store.watched.remove(folder))
        self._sync_failures.pop(folder, None)
        self.watchedChanged.emit()

    @Slot(str, bool)
    def pause_folder(self, folder: str, paused: bool) -> None:
        self._write(lambda store: store.watched.set_paused(folder, paused))
        self.watchedChanged.emit()
        if not paused:
            self.sync_folders([folder])

    @Slot(list)
    def sync_folders(self, folders: list) -> None:
        """Bring the library in step with these watched folders (the unpaused ones; all when empty)."""
        from desktop_app.core.folder_sync import sync_folder

        self.cancel.clear()
        try:
            with self.workspace.open_store() as store:
                chosen = [f.path for f in store.watched.all() if not f.paused and (not folders or f.path in folders)]
                if not chosen:
                    return
                importer = self._importer(store)
                for folder in chosen:
                    result = sync_folder(importer, folder, failures=self._sync_failures.setdefault(folder, {}),
                                         on_start=self.importStarted.emit, on_progress=self.progress.emit,
                                         on_file_progress=self.fileProgress.emit, cancel=self.cancel)
                    self.libraryChanged.emit()
                    self.watchedChanged.emit()
                    if result.imported.outcomes:
                        self.importFinished.emit(result.imported)
                    self.folderSynced.emit(folder, result.counts)
                    if self.cancel.is_set():
                        break
        except Exception as exc:
            self._import_failed(exc, tr("The folder sync failed: {error}", error=exc))

    def _importer(self, store):
        """An importer into ``store`` with the shared embedder, the parser process and the settings' chunking."""
        from desktop_app.core.ingest import Importer
        from desktop_app.core.isolation import IsolatedExtractor

        settings = self.workspace.settings
        if self._extractor is None:
            self._extractor = IsolatedExtractor()
        self._extractor.ocr = settings.ocr
        return Importer(store, self.embedder.get(), extractor=self._extractor,
                        chunk_tokens=settings.chunk_tokens, chunk_overlap=settings.chunk_overlap)

    def _import_failed(self, exc: Exception, message: str) -> None:
        """Say why an import or sync stopped: an ``AppError``'s own words, the ``message`` (and the log) otherwise."""
        if isinstance(exc, AppError):
            self.importFailed.emit(str(exc))
        else:
            log.error("%s", traceback.format_exc())
            self.importFailed.emit(message)
        self.libraryChanged.emit()

    @Slot(list)
    def remove_documents(self, paths: list) -> None:
        self._write(lambda store: [store.remove_document(path) for path in paths])
        self.libraryChanged.emit()

    @Slot()
    def discard_pending(self) -> None:
        self._write(lambda store: store.clear_import_queue())

    @Slot(int, str)
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self._write(lambda store: store.conversations.rename(conversation_id, title))
        self.conversationsChanged.emit()

    @Slot(int)
    def delete_conversation(self, conversation_id: int) -> None:
        self._write(lambda store: store.conversations.delete(conversation_id))
        self.conversationsChanged.emit()

    def _write(self, change) -> None:
        try:
            with self.workspace.open_store() as store:
                change(store)
        except AppError as exc:
            self.writeFailed.emit(str(exc))

    def abort_parsing(self) -> None:
        """From any thread: stop the parser process, so that an import stuck on a file ends now."""
        extractor = self._extractor
        if extractor is not None:
            extractor.abort()

    def shutdown(self) -> None:
        """Stop the parser process; call once the worker's thread has stopped."""
        if self._extractor is not None:
            self._extractor.close()
            self._extractor = None


def start_in_thread(worker: QObject, name: str) -> QThread:
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    return thread
